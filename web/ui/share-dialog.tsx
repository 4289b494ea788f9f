import { useState } from 'react'
import { Dialog } from './dialog.tsx'

export function ShareDialog({ name, link, onClose }: { name: string; link: string; onClose: () => void }) {
  const [copied, setCopied] = useState(false)
  return (
    <Dialog title={`Share ${name}`} onClose={onClose}>
      <p>Whoever opens this link fetches the file from this browser, directly, while this page stays open.</p>
      <label>
        Share link
        <input type="text" readOnly value={link} aria-label="Share link" onFocus={(e) => e.target.select()} className="share-link" />
      </label>
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
