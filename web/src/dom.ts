// A small helper to build DOM nodes without innerHTML: every text is set as
// text, so nothing a record holds can become markup (the CSP forbids inline
// script anyway; this keeps injected HTML out too).

export type Child = Node | string | number | null | undefined | false;
export type Attrs = {
  [name: string]: unknown;
  on?: { [event: string]: (ev: any) => void };
};

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'on') {
        for (const [ev, fn] of Object.entries(value as Record<string, (ev: Event) => void>)) {
          el.addEventListener(ev, fn);
        }
      } else if (name === 'class') {
        el.className = String(value);
      } else if (name === 'value' || name === 'checked' || name === 'disabled' ||
                 name === 'selected') {
        (el as any)[name] = value;
      } else if (value === true) {
        el.setAttribute(name, '');
      } else {
        el.setAttribute(name, String(value));
      }
    }
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: (Child | Child[])[]): void {
  for (const c of children) {
    if (Array.isArray(c)) {
      append(el, c);
    } else if (c !== null && c !== undefined && c !== false) {
      el.appendChild(typeof c === 'string' || typeof c === 'number'
        ? document.createTextNode(String(c)) : c);
    }
  }
}

// Replaces all children of el.
export function fill(el: Element, ...children: (Child | Child[])[]): void {
  el.replaceChildren();
  append(el, children);
}

// A snippet marks its hit with [ ]: show those parts as <mark>.
export function markSnippet(snippet: string): Node[] {
  const out: Node[] = [];
  const re = /\[([^\]]*)\]/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(snippet)) !== null) {
    if (m.index > last) out.push(document.createTextNode(snippet.slice(last, m.index)));
    out.push(h('mark', null, m[1]));
    last = m.index + m[0].length;
  }
  if (last < snippet.length) out.push(document.createTextNode(snippet.slice(last)));
  return out;
}
