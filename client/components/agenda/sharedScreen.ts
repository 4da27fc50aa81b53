import { createContext, useContext } from 'react'

/** True on the shared screen (Present): the whole room reads it, so nothing there speaks to "you". */
export const SharedScreenContext = createContext(false)

export function useOnSharedScreen(): boolean {
  return useContext(SharedScreenContext)
}
