/** What people let in by a space's privacy setting may do there. */
export function LinkRoleSelect({ role, onChange }: { role: 'read' | 'write'; onChange: (role: 'read' | 'write') => void }) {
  return (
    <label>
      They may{' '}
      <select aria-label="People the setting admits may" value={role} onChange={(e) => onChange(e.target.value as 'read' | 'write')}>
        <option value="read">read</option>
        <option value="write">read and write</option>
      </select>
    </label>
  )
}
