// The measuring loop of bench.mjs, shared by Node.js and the browser.

/** Renders every case: warm-up, then at least 1 s and 50 renders. Mean milliseconds per render. */
export async function measure(vtl, load, names) {
  const out = {};
  for (const name of names) {
    const c = await load(name);
    const options = c.vars ? { vars: c.vars } : {};
    const request = JSON.stringify(c.apigw);
    const first = vtl.render(c.template, request, options);
    if (!first.ok) throw new Error(`${name}: ${JSON.stringify(first.errors)}`);
    for (let i = 0; i < 20; i++) vtl.render(c.template, request, options);
    let n = 0;
    let inside = 0;
    const start = performance.now();
    while (performance.now() - start < 1000 || n < 50) {
      const r = vtl.render(c.template, request, options);
      inside += r.timings.compileMs + r.timings.renderMs;
      n++;
    }
    out[name.replace(/\.json$/, "")] = {
      callMs: (performance.now() - start) / n,
      engineMs: inside / n,
      bytes: new TextEncoder().encode(first.output).length,
    };
  }
  return out;
}
