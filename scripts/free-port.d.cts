export function freePort(): Promise<number>;
export function canConnect(port: number): Promise<boolean>;
