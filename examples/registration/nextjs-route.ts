/**
 * A Next.js route handler (`app/api/chat/route.ts`): the request's LLM calls
 * are billed to the session's user. `auth()` stands for your auth library.
 */
import { withAttributionHandler } from '../../src/index.js';

declare function auth(): Promise<{
  user?: { id: string; orgId?: string };
} | null>;
declare function answer(question: string): Promise<string>;

export const POST = withAttributionHandler(
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
