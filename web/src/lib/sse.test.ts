import { readSse } from './sse'

function responseOf(chunks: string[]): Response {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(new TextEncoder().encode(c))
      controller.close()
    },
  })
  return new Response(stream)
}

describe('readSse', () => {
  it('parses events split across chunks', async () => {
    const events = []
    for await (const e of readSse(responseOf(['event: start\ndata: {"a":', '1}\n\nevent: delta\ndata: {"text":"hi"}\n', '\n']))) events.push(e)
    expect(events).toEqual([
      { event: 'start', data: '{"a":1}' },
      { event: 'delta', data: '{"text":"hi"}' },
    ])
  })

  it('joins multi-line data and defaults the event name', async () => {
    const events = []
    for await (const e of readSse(responseOf(['data: one\r\ndata: two\r\n\r\n']))) events.push(e)
    expect(events).toEqual([{ event: 'message', data: 'one\ntwo' }])
  })
})
