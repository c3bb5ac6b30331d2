export async function orphan() { return 1; }
