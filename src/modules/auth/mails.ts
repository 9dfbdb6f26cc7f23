import type { Mail } from '../mail/mailer.ts';
import { describeDevice } from './present.ts';

export function signInMail(to: string, code: string, link: string): Mail {
  return {
    to,
    subject: `Your VIOscan sign-in code: ${code}`,
    text: [
      'Someone (hopefully you) asked to sign in to VIOscan with this address.',
      '',
      `Your code: ${code}`,
      '',
      'Or open this link in the same browser and confirm:',
      link,
      '',
      'The code and the link work once, for 10 minutes, and only in the browser that asked for them.',
      'If you did not ask, ignore this mail: nobody can sign in without it.',
    ].join('\n'),
  };
}

export function newSignInMail(to: string, ip: string, userAgent: string | undefined, at: Date): Mail {
  return {
    to,
    subject: 'New sign-in to your VIOscan account',
    text: [
      `Your VIOscan account was signed in to at ${at.toISOString()}`,
      `from ${describeDevice(userAgent)} at IP address ${ip}.`,
      '',
      'If this was not you, sign in and end that session under Account > Sessions, and add a second factor.',
    ].join('\n'),
  };
}

export function securityChangeMail(to: string, change: string): Mail {
  return {
    to,
    subject: 'Security change on your VIOscan account',
    text: [
      `${change} on your VIOscan account at ${new Date().toISOString()}.`,
      '',
      'If this was not you, contact support at once.',
    ].join('\n'),
  };
}
