import { createStore } from '../../src/store/index.js';
import { describeStoreContract } from './contract.js';

describeStoreContract('memory', (config) => createStore({ memory: true, ...config }));
