// TODO: rules of this group are being written.
import { RuleContext } from './types';

export function checkCniConf(_context: RuleContext): void {}
