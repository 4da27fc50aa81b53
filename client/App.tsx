import { lazy, Suspense, useState, type ReactNode } from 'react'
import { ConferenceList } from './components/ConferenceList'
import { NameForm } from './components/NameForm'
import { useIdentity } from './identity'
import { followLink, parseRoute, usePathname } from './navigation'

// The editor and sync code is most of the JavaScript: the list of conferences does not wait for it.
const Board = lazy(async () => ({ default: (await import('./components/Board')).Board }))

export function App() {
  const route = parseRoute(usePathname())
  const { identity, setName } = useIdentity()
  const [changingName, setChangingName] = useState(false)

  let page: ReactNode
  if (route.page === 'list' && changingName && identity) {
    page = (
      <main className="page" id="main">
        <NameForm
          heading="Change your name"
          initialName={identity.name}
          onName={(name) => { setName(name); setChangingName(false) }}
          onCancel={() => { setChangingName(false) }}
        />
      </main>
    )
  } else if (route.page === 'list') {
    page = <ConferenceList />
  } else if (route.page === 'not-found') {
    page = (
      <main className="page" id="main">
        <h1>Page not found</h1>
        <p>There is nothing at this address. <a href="/" onClick={followLink}>See all conferences</a></p>
      </main>
    )
  } else if (!identity) {
    page = <main className="page" id="main"><NameForm heading="Before you start" initialName="" onName={setName} /></main>
  } else {
    page = (
      <Suspense fallback={<main className="page" id="main"><p className="waiting">Opening the conference…</p></main>}>
        <Board key={route.conferenceId} conferenceId={route.conferenceId} identity={identity} />
      </Suspense>
    )
  }

  return (
    <>
      <a className="skip-link" href="#main">Skip to main content</a>
      <header className="app-header">
        <a className="brand" href="/" onClick={followLink}>SafetyMap</a>
        {identity && (
          <p className="you">
            You are&nbsp;<strong>{identity.name}</strong>
            {/* Only away from a conference: changing name there would drop its open connection. */}
            {route.page === 'list' && !changingName && (
              <button type="button" className="link-button" onClick={() => { setChangingName(true) }}>Change name</button>
            )}
          </p>
        )}
      </header>
      {page}
    </>
  )
}
