// TODO: rules of this group are being written.
import { RuleContext } from './types';

export function checkControlPlane(_context: RuleContext): void {}
