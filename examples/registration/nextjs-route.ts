/**
 * A Next.js route handler: the request's LLM calls are billed to the
 * session's user. `auth` stands for your auth library (Auth.js, Clerk, ...)
 * and `answer` for your LLM code; in `app/api/chat/route.ts`:
 *
 *   export const POST = chatRoute(auth, answer);
 *
 * Runs in this repo (with node-sdk.ts, against a local OTLP receiver):
 * `npx vitest run test/e2e/registration-examples.test.ts`.
 */
import { withAttributionHandler } from 'otel-genai-cost';

export interface Session {
  readonly user?: { readonly id: string; readonly orgId?: string };
}

export function chatRoute(
  auth: () => Promise<Session | null>,
  answer: (question: string) => Promise<string>,
): (request: Request) => Promise<Response> {
  return withAttributionHandler(
    async () => {
      const session = await auth();
      return session?.user === undefined
        ? undefined
        : {
            userId: session.user.id,
            tenantId: session.user.orgId,
            feature: 'chat',
          };
    },
    async (request: Request) => {
      const { question } = (await request.json()) as { question: string };
      return Response.json({ answer: await answer(question) });
    },
  );
}
