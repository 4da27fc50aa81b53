import { ENTRY_KEYS, UNDO_REMOVE_KEY } from './mapKeys'

/** The "Keys" help on the map: every key the map adds, in words. Closed until asked for. */
export function MapKeysHelp() {
  return (
    <details className="map-keys">
      <summary>Keys for the map</summary>
      <p className="hint">In an entry (Tab and Shift+Tab also move between entries and buttons):</p>
      <table>
        <thead>
          <tr>
            <th scope="col">Keys</th>
            <th scope="col">What they do</th>
          </tr>
        </thead>
        <tbody>
          {[...Object.values(ENTRY_KEYS), UNDO_REMOVE_KEY].map((key) => (
            <tr key={key.binding}>
              <td><kbd>{key.keys}</kbd></td>
              <td>{key.does}</td>
            </tr>
          ))}
          <tr>
            <td><kbd>Enter</kbd></td>
            <td>A new line inside the same entry</td>
          </tr>
        </tbody>
      </table>
      <p className="hint">Entries can also be moved with their Move button, or dragged by their handle to a new place.</p>
    </details>
  )
}
