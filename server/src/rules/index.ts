// Every rule module, in the order their findings are produced.
import { type RuleModule } from './types';
import { checkYamlSyntax } from './yamlSyntax';
import { checkEmbeddedJson } from './embeddedJson';
import { checkNetConf } from './netconf';
import { checkBackend } from './backend';
import { checkCniConf } from './cniconf';
import { checkNames } from './names';
import { checkNodes } from './nodes';
import { checkScheduling } from './scheduling';
import { checkHostPorts } from './hostPorts';
import { checkDaemonSet } from './daemonset';
import { checkControlPlane } from './controlPlane';
import { checkDuplicates } from './duplicates';
import { checkControlPlaneDuplicates } from './duplicateControlPlane';
import { checkCniMultiple } from './calicoCniMultiple';
import { checkCalicoSettings } from './calicoSettings';
import { checkCalicoEncapsulation } from './calicoEncapsulation';
import { checkCalicoPools } from './calicoPools';
import { checkCalicoRanges } from './calicoRanges';
import { checkCalicoNodeSelector } from './calicoNodeSelector';
import { checkCalicoRouting } from './calicoRouting';

export const RULE_MODULES: readonly RuleModule[] = [
  checkYamlSyntax,
  checkEmbeddedJson,
  checkNetConf,
  checkBackend,
  checkCniConf,
  checkNames,
  checkNodes,
  checkScheduling,
  checkHostPorts,
  checkDaemonSet,
  checkControlPlane,
  checkDuplicates,
  checkControlPlaneDuplicates,
  checkCniMultiple,
  checkCalicoSettings,
  checkCalicoEncapsulation,
  checkCalicoPools,
  checkCalicoRanges,
  checkCalicoNodeSelector,
  checkCalicoRouting,
];
