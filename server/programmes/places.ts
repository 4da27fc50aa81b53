/**
 * Parent Partner places per service area (PARENT_PARTNER_PLACES, server/config.ts). The pilot's
 * default: up to 50 parents in each of Iowa's five service areas (../shared/seeds/).
 */
export interface ServiceAreaPlaces {
  serviceArea: string
  places: number
}

export const PILOT_PLACES: readonly ServiceAreaPlaces[] = ['Cedar Rapids', 'Des Moines', 'Eastern', 'Northern', 'Western'].map((serviceArea) => ({ serviceArea, places: 50 }))

/** "Eastern=50,Western=40": areas and their places, in the order given. Throws with the bad part named. */
export function parsePlaces(text: string): ServiceAreaPlaces[] {
  const areas = text.split(',').map((part) => part.trim()).filter(Boolean).map((part) => {
    const match = /^(.+?)\s*=\s*(\d{1,5})$/.exec(part)
    if (!match?.[1] || !match[2]) throw new Error(`not "Area=places": ${part}`)
    return { serviceArea: match[1].trim(), places: Number(match[2]) }
  })
  const names = areas.map((area) => area.serviceArea.toLocaleLowerCase())
  if (new Set(names).size !== names.length) throw new Error('a service area is named twice')
  return areas
}
