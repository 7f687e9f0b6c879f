// postgraphile@5.1.5 declares node >= 22; the only newer API it calls at run time is
// Promise.withResolvers (Node 22). Define it on Node 20; a no-op on Node 22+.
if (typeof Promise.withResolvers !== "function") {
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new this((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
