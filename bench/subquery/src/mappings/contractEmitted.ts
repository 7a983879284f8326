import { SubstrateEvent } from '@subql/types';
import { ContractEvent } from '../types';

// Stores the event as the livestars indexer does: contract, topics and data, raw.
export async function handleContractEmitted(event: SubstrateEvent): Promise<void> {
  const [contract, data] = event.event.data;
  const blockNumber = event.block.block.header.number.toNumber();
  await ContractEvent.create({
    id: `${blockNumber}-${event.idx}`,
    blockNumber,
    eventIndex: event.idx,
    contract: contract.toString(),
    topics: event.topics.map((t) => t.toHex()).join(','),
    data: data.toHex(),
  }).save();
}
