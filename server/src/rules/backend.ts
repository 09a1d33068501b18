// TODO: rules of this group are being written.
import { RuleContext } from './types';

export function checkBackend(_context: RuleContext): void {}
