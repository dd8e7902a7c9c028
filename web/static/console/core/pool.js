// Runs `work(item)` for every item, at most `limit` at a time; never rejects: it resolves to
// `{done, failed}` with each failure's error, so a page can say how many went through.
export async function pool(items, limit, work, onProgress = () => {}) {
  const failed = [];
  let done = 0;
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const item = items[next++];
      try {
        await work(item);
      } catch (error) {
        if (error.name === "AbortError") throw error;
        failed.push({ item, error });
      }
      done += 1;
      onProgress(done, items.length);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return { done: done - failed.length, failed };
}
