import { useId, useState, type SubmitEvent } from 'react'
import { acceptParentPartner, declineParentPartner, endParentPartner, getParentPartners, offerParentPartner } from '../../api'
import {
  CHILD_REMOVED,
  CHILD_REMOVED_LABELS,
  OFFER_STATUS_LABELS,
  type AcceptedOffer,
  type AreaPlaces,
  type ChildRemoved,
  type ListedOffer,
} from '../../../shared/programmes/parentPartner'
import { sameWords } from '../../../shared/sameWords'
import { useAnswer } from '../../useAnswer'
import { FoldedPanel } from '../FoldedPanel'
import { ChoiceField, FormProblem, SelectField, SubmitButton, TextField, useRequest, YES_NO } from '../forms'
import { InvitationShownOnce } from '../PeoplePanel'
import './programmes.css'

/**
 * Parent Partners at a child safety conference (shared/programmes/parentPartner.ts), for whoever
 * may invite people: the places left in each service area, the offers made in this conference's
 * case (a follow-up shows those made at the initial CSC) and the parent's answer as the Parent
 * Partner programme reports it, and a form to offer one more parent. The server decides who is eligible and whether a place is left, and says why not.
 */
export function ParentPartnerPanel({ conferenceId, referralArea, onPeopleChanged }: {
  conferenceId: string
  /** The referral's service area, chosen at first in the offer form. */
  referralArea: string | undefined
  /** A Parent Partner was invited to the conference, or their invitation withdrawn: the list of people is out of date. */
  onPeopleChanged: () => void
}) {
  const [open, setOpen] = useState(false)
  // Asked for only once the panel is first opened, then each time it is opened again.
  const [asked, setAsked] = useState(false)
  const answer = useAnswer(asked ? conferenceId : null, (signal) => getParentPartners(conferenceId, signal))
  const { value } = answer

  const toggle = (): void => {
    if (!open) {
      setAsked(true)
      answer.reload()
    }
    setOpen(!open)
  }

  return (
    <FoldedPanel title="Parent Partners" open={open} onToggle={toggle}>
      <p className="hint">
        A Parent Partner is a parent who has been through the child welfare system and now supports other parents. They
        are offered to parents whose children are still at home and who do not have one already. The Parent Partner
        programme contacts the parent, who says yes or no.
      </p>
      <FormProblem problem={answer.problem}>
        <button type="button" onClick={answer.reload}>Try again</button>
      </FormProblem>
      {!value && !answer.problem && <p className="waiting">Loading…</p>}
      {value && (
        <>
          <h3>Places left</h3>
          <ul className="area-places">
            {value.areas.map((area) => <li key={area.serviceArea}>{placesWords(area)}</li>)}
          </ul>
          <h3>Offers in this case</h3>
          {value.offers.length === 0
            ? <p>No parent has been offered a Parent Partner in this case yet.</p>
            : (
              <ul className="offers">
                {value.offers.map((offer) => (
                  <OfferRow key={offer.id} conferenceId={conferenceId} offer={offer} onChanged={answer.reload} onPeopleChanged={onPeopleChanged} />
                ))}
              </ul>
            )}
          {value.heldAfterRemoval
            ? (
              // The server refuses every offer here: say why rather than show a form that cannot work.
              <p className="hint">
                This case’s conference was held after the children were removed, so no parent in it can be offered a
                Parent Partner by the pilot. The usual Parent Partner programme supports parents whose children have
                been removed.
              </p>
            )
            : <OfferForm conferenceId={conferenceId} areas={value.areas} offers={value.offers} referralArea={referralArea} onOffered={answer.reload} />}
        </>
      )}
    </FoldedPanel>
  )
}

/** "Eastern: 3 of 50 places left". */
function placesWords({ serviceArea, places, taken }: AreaPlaces): string {
  return `${serviceArea}: ${Math.max(0, places - taken)} of ${places} places left`
}

function OfferRow({ conferenceId, offer, onChanged, onPeopleChanged }: {
  conferenceId: string
  offer: ListedOffer
  onChanged: () => void
  onPeopleChanged: () => void
}) {
  // The parent's answer and the end of support are recorded where the offer was made.
  const madeHere = offer.conferenceId === conferenceId
  const nameId = useId()
  const [accepting, setAccepting] = useState(false)
  const [confirmingEnd, setConfirmingEnd] = useState(false)
  const [invited, setInvited] = useState<AcceptedOffer | null>(null)
  const { pending, problem, run } = useRequest()

  const accepted = (answer: AcceptedOffer): void => {
    setAccepting(false)
    setInvited(answer)
    onChanged()
    onPeopleChanged()
  }

  return (
    <li className="offer">
      <p className="offer-line">
        <span id={nameId} className="offer-parent">{offer.parentName}</span> · {offer.serviceArea}
      </p>
      {!madeHere && <p className="hint">Offered at {offer.madeAt.title} on {offer.madeAt.date}. Record any change there.</p>}
      <p>{OFFER_STATUS_LABELS[offer.status]}{offer.parentPartnerName && ` (Parent Partner: ${offer.parentPartnerName})`}</p>
      <FormProblem problem={problem} />
      {invited && (
        <InvitationShownOnce name={invited.offer.parentPartnerName ?? 'the Parent Partner'} invitation={invited.invitation} onDone={() => { setInvited(null) }} />
      )}
      {madeHere && offer.status === 'offered' && !accepting && (
        <div className="offer-actions">
          <button type="button" className="secondary" aria-describedby={nameId} disabled={pending} onClick={() => { setAccepting(true) }}>
            Parent accepted
          </button>
          <button type="button" className="secondary" aria-describedby={nameId} disabled={pending} onClick={() => { run(() => declineParentPartner(conferenceId, offer.id), onChanged) }}>
            Parent declined
          </button>
        </div>
      )}
      {madeHere && offer.status === 'offered' && accepting && (
        <AcceptForm
          parentName={offer.parentName}
          pending={pending}
          onAccept={(parentPartnerName) => { run(() => acceptParentPartner(conferenceId, offer.id, parentPartnerName), accepted) }}
          onCancel={() => { setAccepting(false) }}
        />
      )}
      {madeHere && offer.status === 'accepted' && !confirmingEnd && (
        <div className="offer-actions">
          <button type="button" className="secondary" aria-describedby={nameId} disabled={pending} onClick={() => { setConfirmingEnd(true) }}>
            Support ended
          </button>
        </div>
      )}
      {madeHere && offer.status === 'accepted' && confirmingEnd && (
        // Cannot be taken back: the place goes to the next parent.
        <div className="confirm" role="group" aria-label={`End ${offer.parentName}’s Parent Partner support?`}>
          <p>
            Has {offer.parentName}’s Parent Partner support ended? Their place will be free for another parent,
            and {offer.parentPartnerName ?? 'their Parent Partner'} will no longer see this conference’s record. This cannot be undone.
          </p>
          <button type="button" className="danger" disabled={pending} onClick={() => { run(() => endParentPartner(conferenceId, offer.id), () => { setConfirmingEnd(false); onChanged(); onPeopleChanged() }) }}>
            Yes, support has ended
          </button>
          <button type="button" className="secondary" onClick={() => { setConfirmingEnd(false) }} autoFocus>Keep it</button>
        </div>
      )}
    </li>
  )
}

/** The parent said yes: who their Parent Partner is (they are invited to the conference). */
function AcceptForm({ parentName, pending, onAccept, onCancel }: {
  parentName: string
  pending: boolean
  onAccept: (parentPartnerName: string) => void
  onCancel: () => void
}) {
  const [name, setName] = useState('')
  const [missing, setMissing] = useState('')

  const submit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault()
    if (!name.trim()) {
      setMissing('Please type the Parent Partner’s name.')
      return
    }
    onAccept(name.trim())
  }

  return (
    <form className="stack-form accept-offer" onSubmit={submit} noValidate aria-label={`Parent Partner for ${parentName}`}>
      <TextField
        label="Parent Partner’s name"
        hint="They are invited to this conference: you get a link and a code to send them."
        autoComplete="off"
        maxLength={120}
        value={name}
        onChange={(value) => { setName(value); setMissing('') }}
        error={missing}
      />
      <div className="actions">
        <SubmitButton pending={pending}>Invite the Parent Partner</SubmitButton>
        <button type="button" className="secondary" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  )
}

const CHILD_REMOVED_OPTIONS: readonly { value: ChildRemoved | ''; label: string }[] = [
  { value: '', label: 'Choose an answer' },
  ...CHILD_REMOVED.map((removed) => ({ value: removed, label: CHILD_REMOVED_LABELS[removed] })),
]

function OfferForm({ conferenceId, areas, offers, referralArea, onOffered }: {
  conferenceId: string
  areas: readonly AreaPlaces[]
  /** The case's offers: a parent who accepted one already has a Parent Partner. */
  offers: readonly ListedOffer[]
  referralArea: string | undefined
  onOffered: () => void
}) {
  const headingId = useId()
  const [parentName, setParentName] = useState('')
  const [serviceArea, setServiceArea] = useState(referralArea ?? '')
  const [alreadySupported, setAlreadySupported] = useState<'yes' | 'no' | null>(null)
  const [childRemoved, setChildRemoved] = useState<ChildRemoved | ''>('')
  const [missing, setMissing] = useState<Record<string, string>>({})
  const [offered, setOffered] = useState('')
  const { pending, problem, run } = useRequest()
  const supportedInCase = offers.some((offer) => offer.status === 'accepted' && parentName.trim() !== '' && sameWords(offer.parentName, parentName))
  // Until the organiser answers, what the case already says.
  const supported = alreadySupported ?? (supportedInCase ? 'yes' : null)
  const areaOptions = [{ value: '', label: 'Choose a service area' }, ...areas.map((area) => ({ value: area.serviceArea, label: area.serviceArea }))]

  const submit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault()
    const found: Record<string, string> = {}
    if (!parentName.trim()) found.parentName = 'Please type the parent’s name.'
    if (!serviceArea) found.serviceArea = 'Please choose the service area.'
    if (supported === null) found.alreadySupported = 'Please say whether this parent already has a Parent Partner.'
    if (childRemoved === '') found.childRemoved = 'Please say whether the children have been removed.'
    setMissing(found)
    setOffered('')
    if (supported === null || childRemoved === '' || Object.keys(found).length > 0) return
    run(() => offerParentPartner(conferenceId, { parentName: parentName.trim(), serviceArea, alreadySupported: supported === 'yes', childRemoved }), (offer) => {
      setOffered(`${offer.parentName} was offered a Parent Partner.`)
      setParentName('')
      setAlreadySupported(null)
      setChildRemoved('')
      onOffered()
    })
  }

  const error = (field: string): string | undefined => missing[field] ?? problem?.fields[field]

  return (
    <div className="offer-form">
      <h3 id={headingId}>Offer a Parent Partner</h3>
      <form className="stack-form" onSubmit={submit} noValidate aria-labelledby={headingId}>
        <TextField label="Parent’s name" autoComplete="off" maxLength={120} value={parentName} onChange={setParentName} error={error('parentName')} />
        <SelectField label="Service area" value={serviceArea} options={areaOptions} onChange={setServiceArea} error={error('serviceArea')} />
        <ChoiceField
          legend="Does this parent already have a Parent Partner?"
          value={supported}
          options={YES_NO}
          onChange={setAlreadySupported}
          error={error('alreadySupported')}
        />
        <SelectField label="Have the children been removed?" value={childRemoved} options={CHILD_REMOVED_OPTIONS} onChange={setChildRemoved} error={error('childRemoved')} />
        {/* Why the server said no (not eligible, no place left) is read out as soon as it shows. */}
        <FormProblem problem={problem} />
        <div className="actions">
          <SubmitButton pending={pending}>Record the offer</SubmitButton>
        </div>
        <p aria-live="polite" className="hint">{offered}</p>
      </form>
    </div>
  )
}
