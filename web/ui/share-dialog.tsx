import { useState } from 'react'
import type { FileView } from '../app/library.ts'
import { stepOf } from '../app/trust-service.ts'
import { useApp } from './app-context.ts'
import { Dialog } from './dialog.tsx'

/** Who can fetch a file through its link, in words. */
function audience(file: FileView): string {
  switch (file.privacy.class) {
    case 'public':
      return file.pins?.some((p) => p.status === 'pinned') === true
        ? 'Anyone who opens this link can fetch the file: from this browser while this page is open, and from the relay it is published on when it is not.'
        : 'Anyone who opens this link can fetch the file from this browser, directly, while this page stays open.'
    case 'private':
      return `This file is private: only people you trust as ${stepOf(file.privacy.minLevel)} or more can fetch it with this link. Anyone else who opens it is told the file is not available.`
    case 'restricted':
      return `This file is restricted: only the ${file.privacy.dids.length} DID${file.privacy.dids.length === 1 ? '' : 's'} you named can fetch it with this link. Anyone else who opens it is told the file is not available.`
  }
}

export function ShareDialog({ file, link, onClose }: { file: FileView; link: string; onClose: () => void }) {
  const app = useApp()
  const [copied, setCopied] = useState(false)
  const pinned = file.pins?.find((p) => p.status === 'pinned')
  return (
    <Dialog title={`Share ${file.name}`} onClose={onClose}>
      <p data-testid="share-audience" data-privacy={file.privacy.class}>
        {audience(file)}
      </p>
      {file.privacy.class !== 'public' && (
        <p>
          <button type="button" onClick={() => void app.setPrivacy(file.cid, { class: 'public' })}>
            Make it public, so anyone with the link can fetch it
          </button>
        </p>
      )}
      <label>
        Share link
        <input type="text" readOnly value={link} aria-label="Share link" onFocus={(e) => e.target.select()} className="share-link" />
      </label>
      {file.privacy.class === 'public' && (
        <>
          <label>
            IPFS link (for any IPFS tool)
            <input
              type="text"
              readOnly
              value={`ipfs://${file.cid}`}
              aria-label="IPFS link"
              onFocus={(e) => e.target.select()}
              className="share-link"
            />
          </label>
          {pinned === undefined ? (
            <p className="hint">Publish it to get a web address that works while this browser is closed.</p>
          ) : (
            <label>
              Web address on the relay (any browser, any IPFS tool)
              <input
                type="text"
                readOnly
                value={`${pinned.service}/ipfs/${file.cid}?filename=${encodeURIComponent(file.name)}`}
                aria-label="Gateway address"
                onFocus={(e) => e.target.select()}
                className="share-link"
              />
            </label>
          )}
        </>
      )}
      <button
        type="button"
        onClick={() => {
          void navigator.clipboard.writeText(link).then(
            () => setCopied(true),
            () => setCopied(false),
          )
        }}
      >
        {copied ? 'Copied' : 'Copy link'}
      </button>
    </Dialog>
  )
}
