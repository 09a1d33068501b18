// TODO: rules of this group are being written.
import { RuleContext } from './types';

export function checkNames(_context: RuleContext): void {}
