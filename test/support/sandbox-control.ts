/**
 * One call to a sandbox's `/__sandbox` control routes (scans, faults, reset, …) as the project of `apiKey`: a JSON
 * body when one is given, and the raw response, so a test checks the status it expects.
 */
export function sandboxControl(
  baseUrl: string,
  apiKey: string,
  path: string,
  body?: unknown,
  method = 'POST',
): Promise<Response> {
  return fetch(`${baseUrl}/__sandbox${path}`, {
    method,
    headers: {
      authorization: `Bearer ${apiKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
