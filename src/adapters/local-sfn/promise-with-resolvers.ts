// aws-local-stepfunctions 3 targets Node 22 and calls Promise.withResolvers (ES2024), which Node 20
// lacks: without this every Task state fails.
interface WithResolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

export const installPromiseWithResolvers = (): void => {
  const ctor = Promise as unknown as { withResolvers?: <T>() => WithResolvers<T> };
  if (typeof ctor.withResolvers === 'function') return;
  ctor.withResolvers = <T>(): WithResolvers<T> => {
    let resolve!: WithResolvers<T>['resolve'];
    let reject!: WithResolvers<T>['reject'];
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
};
