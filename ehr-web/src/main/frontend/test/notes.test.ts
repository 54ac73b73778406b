import { attachmentText, entryFacts, htmlToText } from '../src/views/entry';

const b64 = (s: string) => btoa(String.fromCharCode(...new TextEncoder().encode(s)));

describe('a readable note viewer (issue #20)', () => {
  it('reads an HTML note as text: blocks on lines, lists bulleted, scripts and styles gone', () => {
    const html = '<html><head><style>p{color:red}</style><script>window.__pwned = 1</script></head><body>'
      + '<h1>Discharge letter</h1><p>Admitted  for <b>chest pain</b>.</p><ul><li>ECG normal</li><li>Troponin &lt; 5</li>'
      + '</ul><img src=x onerror="window.__pwned = 2"><p>Follow-up in 2 weeks.</p></body></html>';
    expect(htmlToText(html)).toBe('Discharge letter\n\nAdmitted for chest pain.\n\n• ECG normal\n\n• Troponin < 5'
      + '\n\nFollow-up in 2 weeks.');
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it('decodes text attachments (UTF-8) and names other types without showing them', () => {
    expect(attachmentText({ contentType: 'text/plain; charset=utf-8', data: b64('Überweisung: Kardiologie') }))
      .toBe('Überweisung: Kardiologie');
    expect(attachmentText({ contentType: 'text/html', data: b64('<p>Hi <script>x()</script>there</p>') }))
      .toBe('Hi there');
    expect(attachmentText({ contentType: 'application/pdf', data: b64('%PDF') })).toBeUndefined();
    const facts = entryFacts({ resourceType: 'DiagnosticReport', status: 'final',
      presentedForm: [{ contentType: 'text/html', data: b64('<p>No <i>acute</i> findings.</p>'), title: 'Report' },
        { contentType: 'application/pdf', url: 'Binary/b1', title: 'Scan' }] });
    const report = facts.find(([k]) => k === 'Report')!;
    expect((report[1] as HTMLElement).textContent).toBe('No acute findings.');
    expect((report[1] as HTMLElement).querySelector('i')).toBeNull();
    expect(facts.find(([k]) => k === 'Scan')![1]).toBe('application/pdf (Binary/b1), not shown here');
  });
});
