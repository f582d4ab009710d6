#!/usr/bin/env python3
"""A Docker API counting proxy: listens on a unix socket, forwards to another, logs 'METHOD /path' per request."""
import asyncio, re, sys

listen, upstream, log_path = sys.argv[1], sys.argv[2], sys.argv[3]
request_line = re.compile(rb'(GET|POST|PUT|DELETE|HEAD) (/[^ \r\n]*) HTTP/1\.[01]\r\n')
version = re.compile(r'^/v1\.\d+')
ident = re.compile(r'/[0-9a-f]{12,64}(?=/|$)')
log = open(log_path, 'a', buffering=1)

def name(method, path):
    p = version.sub('', path.decode('latin-1')).split('?', 1)[0]
    return f'{method.decode()} {ident.sub("/{id}", p)}'

async def pipe(reader, writer, count):
    buf = b''
    try:
        while data := await reader.read(65536):
            if count:
                buf = (buf + data)[-4096:]
                for m in request_line.finditer(buf):
                    log.write(name(m.group(1), m.group(2)) + '\n')
                buf = buf[buf.rfind(b'\r\n') + 2:] if request_line.search(buf) else buf
            writer.write(data)
            await writer.drain()
    except Exception:
        pass
    finally:
        try:
            writer.close()
        except Exception:
            pass

async def handle(cr, cw):
    try:
        ur, uw = await asyncio.open_unix_connection(upstream)
    except Exception:
        cw.close()
        return
    await asyncio.gather(pipe(cr, uw, True), pipe(ur, cw, False))

async def main():
    server = await asyncio.start_unix_server(handle, listen)
    async with server:
        await server.serve_forever()

asyncio.run(main())
