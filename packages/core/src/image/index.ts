export * from './content.ts';
export * from './matrix.ts';
export * from './options.ts';
export * from './png.ts';
export * from './svg.ts';
