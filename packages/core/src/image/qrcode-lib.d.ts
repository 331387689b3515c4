/**
 * Types for the one deep import core makes into `qrcode`: its matrix builder, which (unlike the package's main entry
 * and PNG renderer) needs no Node built-ins. `@types/qrcode` only describes the main entry.
 */
declare module 'qrcode/lib/core/qrcode.js' {
  export interface QrCoreBitMatrix {
    /** Modules per side. */
    readonly size: number;
    /** Row-major modules, 1 = dark. */
    readonly data: Uint8Array;
    get(row: number, col: number): number;
    isReserved(row: number, col: number): number;
  }

  export interface QrCoreSymbol {
    modules: QrCoreBitMatrix;
    version: number;
    errorCorrectionLevel: { bit: number };
    maskPattern: number;
  }

  export interface QrCoreCreateOptions {
    errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H' | 'low' | 'medium' | 'quartile' | 'high';
    version?: number;
    maskPattern?: number;
  }

  export function create(data: string, options?: QrCoreCreateOptions): QrCoreSymbol;
}
