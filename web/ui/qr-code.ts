/** A QR code of `text` as a data URL; the encoder is loaded when first needed, not with the first screen. */
export async function qrCodeDataUrl(text: string, width: number): Promise<string> {
  const { default: QRCode } = await import('qrcode')
  return await QRCode.toDataURL(text, { margin: 1, width })
}
