import { flannelDataPlane } from './flannel';
export const calicoDataPlane = flannelDataPlane;
