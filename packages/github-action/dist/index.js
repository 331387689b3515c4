import { createRequire as __codeqrCreateRequire } from 'node:module'; const require = __codeqrCreateRequire(import.meta.url);
import{c as i,d as a}from"./chunks/chunk-UY2BGLBJ.js";import"./chunks/chunk-HCA6MFPH.js";var t=a("api-key");t&&i(t);var{run:e}=await import("./chunks/main-XUTRVKBD.js");await e(t);
