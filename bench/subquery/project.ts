// SubQuery manifest: every Contracts.ContractEmitted from block 1 to END_BLOCK of the chain
// at ENDPOINT (CHAIN_ID is its genesis hash). scripts/bench-subquery sets all three
// before `subql build`.
import { SubstrateDatasourceKind, SubstrateHandlerKind, SubstrateProject } from '@subql/types';

const project: SubstrateProject = {
  specVersion: '1.0.0',
  version: '0.1.0',
  name: 'livestars-subquery-peer',
  runner: { node: { name: '@subql/node', version: '>=3.0.1' }, query: { name: '@subql/query', version: '*' } },
  schema: { file: './schema.graphql' },
  network: { chainId: process.env.CHAIN_ID!, endpoint: [process.env.ENDPOINT!] },
  dataSources: [
    {
      kind: SubstrateDatasourceKind.Runtime,
      startBlock: 1,
      endBlock: Number(process.env.END_BLOCK),
      mapping: {
        file: './dist/index.js',
        handlers: [
          { kind: SubstrateHandlerKind.Event, handler: 'handleContractEmitted', filter: { module: 'contracts', method: 'ContractEmitted' } },
        ],
      },
    },
  ],
};

export default project;
