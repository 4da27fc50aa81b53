/**
 * Runs tasks one at a time, in the order they were asked for: a task that checks stored records
 * and then changes them cannot interleave with another doing the same. A task that fails does not
 * stop the ones after it.
 */
export class Turns {
  private last: Promise<unknown> = Promise.resolve()

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.last.then(task, task)
    this.last = result.catch(() => undefined)
    return result
  }
}
