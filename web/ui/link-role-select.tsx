/** What people let in by a space's privacy setting may do there. */
export function LinkRoleSelect({ id, role, onChange }: { id: string; role: 'read' | 'write'; onChange: (role: 'read' | 'write') => void }) {
  return (
    <>
      <label htmlFor={id}>Those who join by the link may</label>
      <select id={id} value={role} onChange={(e) => onChange(e.target.value as 'read' | 'write')}>
        <option value="read">read</option>
        <option value="write">read and write</option>
      </select>
    </>
  )
}
