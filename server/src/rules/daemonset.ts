// TODO: rules of this group are being written.
import { RuleContext } from './types';

export function checkDaemonSet(_context: RuleContext): void {}
