// TODO: rules of this group are being written.
import { RuleContext } from './types';

export function checkEmbeddedJson(_context: RuleContext): void {}
