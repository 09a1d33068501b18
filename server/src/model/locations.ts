// Where objects are, for messages that point from one finding to other objects of the cluster.
import * as path from 'path';
import { type K8sObject } from '../core/manifest';
import { type OffsetRange } from '../core/text';
import { getText } from '../core/yamlAccess';
import { type Cluster } from './workspace';

export class Locator {
  constructor(private readonly cluster: Cluster) {}

  /** The object's name, else its kind: where a finding about the whole object points. */
  anchor(object: K8sObject): OffsetRange {
    return (object.name ?? getText(object.node, 'kind'))?.textRange ?? [object.range[0], object.range[0]];
  }

  /** `file:line` of an offset, relative to the cluster's folder; `line N` within the file `from`. */
  where(uri: string, offset: number, from?: string): string {
    const file = this.fileOf(uri);
    if (!file) return uri;
    const line = file.lines.positionAt(offset).line + 1;
    if (uri === from) return `line ${line}`;
    const relative = path.posix.relative(this.cluster.root, file.path);
    return `${relative && !relative.startsWith('..') ? relative : file.path}:${line}`;
  }

  /** Where the object's name (or kind) is. */
  whereObject(object: K8sObject, from?: string): string {
    return this.where(object.uri, this.anchor(object)[0], from);
  }

  /** The object's source text, trimmed. */
  text(object: K8sObject): string {
    const file = this.fileOf(object.uri);
    return file ? file.text.slice(object.range[0], object.range[1]).trim() : '';
  }

  fileOf(uri: string) {
    return this.cluster.files.find((f) => f.file.uri === uri)?.file;
  }
}

/** At most `max` items, then how many more. */
export function listed(items: string[], max = 3): string {
  return items.length > max ? `${items.slice(0, max).join(', ')} and ${items.length - max} more` : items.join(', ');
}
