/** Evidence file names the web app links to (pure: the web bundle imports it). */
export const screenshotName = (visit: string) => `screenshot-${visit}.jpg`;
