export async function runDemo(_o: { keep: boolean; out: NodeJS.WritableStream }): Promise<number> { return 1; }
