export const packageName = "@taskmaster/security";
