import { useRef, type ReactNode } from 'react'

/** A button that opens the browser's file picker; the hidden input carries `inputLabel` for tests and assistive tools. */
export function FilePickerButton({
  children,
  inputLabel,
  onPicked,
}: {
  children: ReactNode
  inputLabel: string
  onPicked: (files: File[]) => void
}) {
  const input = useRef<HTMLInputElement>(null)
  return (
    <>
      <button type="button" onClick={() => input.current?.click()}>
        {children}
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        aria-label={inputLabel}
        onChange={(e) => {
          onPicked([...(e.target.files ?? [])])
          // the same file picked again is a new pick
          e.target.value = ''
        }}
      />
    </>
  )
}
