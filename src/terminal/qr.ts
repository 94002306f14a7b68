/** A QR code as terminal text (qrcode-terminal, loaded only when shown). */
export async function renderQr(text: string): Promise<string> {
  const { default: qrcode } = await import('qrcode-terminal');
  return new Promise((resolve) => qrcode.generate(text, { small: true }, (s: string) => resolve(s)));
}
