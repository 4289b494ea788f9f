import { describe, expect, it } from 'vitest'
import { Emitter } from './emitter.ts'

interface Sample {
  change: []
  stored: [cid: string, bytes: number]
}

describe('the emitter', () => {
  it('calls each listener of an event with its arguments, and no longer once unsubscribed', () => {
    const events = new Emitter<Sample>()
    const heard: string[] = []
    const undo = events.on('stored', (cid, bytes) => heard.push(`${cid}:${bytes}`))
    events.on('change', () => heard.push('change'))
    events.emit('stored', 'bafy', 3)
    events.emit('change')
    undo()
    events.emit('stored', 'bafz', 4)
    expect(heard).toEqual(['bafy:3', 'change'])
  })

  it('keeps calling the other listeners when one throws', () => {
    const events = new Emitter<Sample>()
    const heard: number[] = []
    events.on('change', () => heard.push(1))
    events.on('change', () => {
      throw new Error('a careless listener')
    })
    events.on('change', () => heard.push(3))
    expect(() => events.emit('change')).not.toThrow()
    expect(heard).toEqual([1, 3])
  })

  it('lets a listener unsubscribe itself while the event is being delivered', () => {
    const events = new Emitter<Sample>()
    const heard: string[] = []
    const undo = events.on('change', () => {
      heard.push('once')
      undo()
    })
    events.on('change', () => heard.push('always'))
    events.emit('change')
    events.emit('change')
    expect(heard).toEqual(['once', 'always', 'always'])
  })
})
