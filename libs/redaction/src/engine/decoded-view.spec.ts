import { decodedView, toOriginal } from './decoded-view';
import type { Candidate } from './candidate';

describe('decodedView', () => {
  it('is undefined for a text with nothing to decode', () => {
    expect(decodedView('password=plain\nno codes here')).toBeUndefined();
  });

  it('holds only the lines with a sequence, decoded, and a NUL line for the lines left out', () => {
    const text = 'a plain line\n\x1b[32mkey\x1b[0m: v1\nplain\nplain again\nq=%22x%22\nlast';
    const view = decodedView(text)!;
    expect(view.text).toBe('key: v1\n\x00\nq="x"\n');
  });

  it('keeps adjacent lines together and reads a text without line breaks whole', () => {
    expect(decodedView('\x1b[1ma\x1b[0m\n\x1b[1mb\x1b[0m\nc')!.text).toBe('a\nb\n');
    expect(decodedView('x &quot;y&quot; z')!.text).toBe('x "y" z');
  });

  it("reads JSON's escaped slashes, Go's escaped brackets and HTML's entities for brackets, = and : as themselves", () => {
    expect(decodedView('{"url":"https:\\/\\/u:p@db\\/x"}')!.text).toBe('{"url":"https://u:p@db/x"}');
    expect(decodedView('q\\u003dv\\u0026n\\u003c\\u003e')!.text).toBe('q=v&n<>');
    expect(decodedView('&lt;a&gt; &#61; &#x3D; &#58;')!.text).toBe('<a> = = :');
  });

  it('maps a span of the view back to the original text, sequences inside it included', () => {
    const text = 'plain\nplain\ntoken: \x1b[32mAbc123\x1b[0m done';
    const view = decodedView(text)!;
    const start = view.text.indexOf('Abc123');
    const found: Candidate[] = [{ name: 'X', start, end: start + 6, confidence: 'high', priority: 0 }];
    const out: Candidate[] = [];
    toOriginal(view, found, out);
    expect(text.slice(out[0].start, out[0].end)).toBe('Abc123');
    const whole: Candidate[] = [];
    toOriginal(view, [{ ...found[0], start: 0, end: view.text.length }], whole);
    expect(text.slice(whole[0].start, whole[0].end)).toBe('token: \x1b[32mAbc123\x1b[0m done');
  });
});
