// TODO: rules of this group are being written.
import { RuleContext } from './types';

export function checkNodes(_context: RuleContext): void {}
