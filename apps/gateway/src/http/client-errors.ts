import type { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';

/** Node's parser errors for headers past --max-http-header-size. */
const HEADER_OVERFLOW = new Set(['HPE_HEADER_OVERFLOW']);
const TIMEOUTS = new Set(['ERR_HTTP_REQUEST_TIMEOUT', 'HPE_HEADERS_TIMEOUT']);

function refusalFor(code: string | undefined): { status: number; reason: string; code: string; message: string } {
  if (code !== undefined && HEADER_OVERFLOW.has(code)) {
    return {
      status: 431,
      reason: 'Request Header Fields Too Large',
      code: 'HEADERS_TOO_LARGE',
      message: 'The request headers are too large.',
    };
  }
  if (code !== undefined && TIMEOUTS.has(code)) {
    return {
      status: 408,
      reason: 'Request Timeout',
      code: 'INVALID_REQUEST',
      message: 'The request took too long to arrive.',
    };
  }
  return { status: 400, reason: 'Bad Request', code: 'INVALID_REQUEST', message: 'The request is not valid HTTP.' };
}

/**
 * Node's HTTP server refuses a request it cannot parse (a 100 KB header, `Content-Length: abc`)
 * before hono sees it, with a bare status line. This answers those too in the contract's error
 * shape, as a complete response, and closes the connection (the stream is out of step). Every
 * place that creates the gateway's HTTP server calls it.
 */
export function answerClientErrors(server: EventEmitter): void {
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    const responding = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || responding?.headersSent === true) {
      socket.destroy();
      return;
    }
    const refusal = refusalFor(error.code);
    const body = JSON.stringify({ error: { code: refusal.code, message: refusal.message } });
    socket.end(
      `HTTP/1.1 ${refusal.status} ${refusal.reason}\r\n` +
        'Content-Type: application/json; charset=UTF-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'X-Content-Type-Options: nosniff\r\n' +
        'Connection: close\r\n\r\n' +
        body,
    );
  });
}
