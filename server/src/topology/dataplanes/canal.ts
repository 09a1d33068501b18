import { flannelDataPlane } from './flannel';
export const canalDataPlane = flannelDataPlane;
