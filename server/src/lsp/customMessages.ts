// The server's handles on the custom messages declared in ../protocol.ts, with the same method and the
// same params and result types, so a type changed there still breaks the handlers here.
//
// Why not the shared objects themselves: protocol.ts builds them with the vscode-jsonrpc that
// vscode-languageclient 11 uses (10.x), while vscode-languageserver 10.1 ships its own vscode-jsonrpc 9.
// Its connection rejects the other copy's classes, in TypeScript (a separately declared private field)
// and at run time (sending compares `parameterStructures` with its own constants and throws). Once
// vscode-languageserver is on the client's vscode-jsonrpc (11.x), import the shared objects instead.
import { NotificationType, RequestType } from 'vscode-languageserver/node';
import type * as Shared from 'vscode-jsonrpc';
import * as protocol from '../protocol';

const request = <P, R>(shared: Shared.RequestType<P, R, void>) => new RequestType<P, R, void>(shared.method);
const notification = <P>(shared: Shared.NotificationType<P>) => new NotificationType<P>(shared.method);

export const TOPOLOGY_REQUEST = request(protocol.TOPOLOGY_REQUEST);
export const PACKET_PATH_REQUEST = request(protocol.PACKET_PATH_REQUEST);
export const NODE_TOOLS_REQUEST = request(protocol.NODE_TOOLS_REQUEST);
export const SERVER_STATUS_NOTIFICATION = notification(protocol.SERVER_STATUS_NOTIFICATION);
