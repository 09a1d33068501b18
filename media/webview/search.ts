// Finding a pod or a node: a search field whose suggestions are the cluster's nodes and pods, and the
// matching behind it (exact name, `namespace/name` or pod IP first, then names starting with the text,
// then names containing it).
import type { Topology } from '../../server/src/protocol';
import { podKey } from '../../server/src/topology/ids';
import { htmlElement } from './dom';

export type SearchHit = { kind: 'node'; node: string } | { kind: 'pod'; node: string; podId: string; key: string };

/** Suggestions offered while typing: enough to pick from, few enough to stay quick at 10,000 pods. */
const MAX_SUGGESTIONS = 200;

export function findInTopology(topology: Topology, query: string): SearchHit | undefined {
  const text = query.trim().toLowerCase();
  if (!text) return undefined;
  const candidates: Array<{ names: string[]; hit: SearchHit }> = [];
  for (const node of topology.nodes) {
    candidates.push({ names: [node.name.toLowerCase()], hit: { kind: 'node', node: node.name } });
    for (const pod of node.pods)
      candidates.push({
        names: [podKey(pod).toLowerCase(), pod.name.toLowerCase(), ...(pod.address ? [pod.address.ip] : [])],
        hit: { kind: 'pod', node: node.name, podId: pod.id, key: podKey(pod) },
      });
  }
  const tests = [
    (name: string) => name === text,
    (name: string) => name.startsWith(text),
    (name: string) => name.includes(text),
  ];
  for (const test of tests) {
    const found = candidates.find((c) => c.names.some(test));
    if (found) return found.hit;
  }
  return undefined;
}

export class SearchField {
  readonly input: HTMLInputElement;
  private readonly list: HTMLDataListElement;

  constructor(parent: HTMLElement, onSubmit: (query: string) => void) {
    const label = htmlElement('label', { className: 'search' }, parent);
    this.input = htmlElement(
      'input',
      {
        attributes: {
          type: 'search',
          placeholder: 'Find a pod or node',
          'aria-label': 'Find a pod or a node',
          list: 'podnet-search-list',
          spellcheck: 'false',
        },
      },
      label,
    );
    this.list = htmlElement('datalist', { attributes: { id: 'podnet-search-list' } }, label);
    this.input.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter') return;
      event.preventDefault();
      onSubmit(this.input.value);
    });
    // Picking a suggestion from the list replaces the text with its exact name.
    this.input.addEventListener('input', (event) => {
      if ((event as InputEvent).inputType === 'insertReplacementText' || !(event instanceof InputEvent))
        onSubmit(this.input.value);
    });
  }

  /** Offers the nodes, then the pods, of the shown cluster. */
  suggest(topology: Topology | undefined): void {
    const names: string[] = [];
    for (const node of topology?.nodes ?? []) names.push(node.name);
    outer: for (const node of topology?.nodes ?? [])
      for (const pod of node.pods) {
        if (names.length >= MAX_SUGGESTIONS) break outer;
        names.push(podKey(pod));
      }
    this.list.replaceChildren(...names.map((name) => htmlElement('option', { attributes: { value: name } })));
  }
}
