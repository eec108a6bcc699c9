// Office.js ships as a global script (Microsoft's CDN), so its types are global too. They are
// pulled in here, for the add-in only; tsconfig's `types` stays limited to Node for everyone else.
/// <reference types="office-js" />
export {};
