// Files chosen in an <input type="file">, read in the browser: PEM as text, PKCS#12 as base64
// (the API takes both inside JSON; nothing is uploaded until the form is sent).

export function readFileText(file: File): Promise<string> {
  return file.text();
}

export async function readFileBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  // 32 KiB at a time: String.fromCharCode takes its bytes as arguments, and those are limited
  for (let start = 0; start < bytes.length; start += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  }
  return btoa(binary);
}
