/** Names and titles as a person reads them: "Mary Mother" and "mary mother " are one person. */
export function sameWords(a: string, b: string): boolean {
  return wordsKey(a) === wordsKey(b)
}

/** The form `sameWords` compares, for keeping or looking up by it. */
export function wordsKey(words: string): string {
  return words.trim().toLocaleLowerCase()
}
