// TODO: rules of this group are being written.
import { RuleContext } from './types';

export function checkNetConf(_context: RuleContext): void {}
