import type { CID } from 'multiformats/cid'
import type { BlockStore } from './blocks.ts'
import { walkDag } from './dag-walk.ts'
import { logFailure, logOf } from '../log.ts'

const log = logOf('car')

/** A stored DAG as a CAR v1 stream (one root, blocks depth-first, each verified as it is read). */
export async function* dagToCar(store: BlockStore, root: CID): AsyncGenerator<Uint8Array> {
  // loaded when first needed: a browser's first screen does without it
  const { CarWriter } = await import('@ipld/car')
  const { writer, out } = CarWriter.create([root])
  // the writer waits for its reader: filling it runs beside the consumer
  const filling = (async () => {
    try {
      for await (const block of walkDag(store, root)) await writer.put(block)
    } finally {
      await writer.close()
    }
  })()
  // its failure is thrown to the consumer below; this only keeps an early-stopping consumer from an unhandled rejection
  filling.catch(logFailure(log, 'writing a CAR'))
  yield* out
  await filling
}
